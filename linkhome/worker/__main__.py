"""`python -m linkhome.worker`: what `linkhome worker` and `linkhome serve` start."""

import argparse
import sys

from linkhome import bootstrap


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="linkhome worker")
    parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")
    parser.add_argument("--max-tasks", type=int, default=None)
    args = parser.parse_args(argv)
    bootstrap.ready()
    from linkhome.worker import recycle
    from linkhome.worker.runner import run_worker

    try:
        run_worker(batch=args.batch, max_tasks=args.max_tasks)
    except KeyboardInterrupt:
        return 130
    if recycle.requested.is_set():
        recycle.restart(sys.argv[1:] if argv is None else argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
