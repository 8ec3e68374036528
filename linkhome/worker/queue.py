"""What only the worker knows: the task queue, on the database or on Redis (RQ)."""

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from redis.exceptions import ConnectionError as RedisConnectionError

from linkhome.worker import recycle
from linkhome.worker.priorities import CAPTURE_QUEUES, EXPRESS_QUEUES

CAPTURE_TASK = "linkhome.worker.tasks.capture_snapshot"
IMPORT_TASK = "linkhome.worker.tasks.import_bookmarks"
RETRY_SECONDS = 2.0
# RQ blocks on an empty queue for its TTL minus 15 s; 20 s lets a stopped thread (a worker
# recycling itself) end within 5 s instead of almost 7 minutes.
RQ_WORKER_TTL = 20
log = logging.getLogger("linkhome.worker")


def pending_capture_ids() -> set[int]:
    """Snapshot ids that already have a task waiting, so recovery does not double-queue."""
    return _rq_pending(CAPTURE_TASK) if settings.QUEUE == "rq" else _db_pending(CAPTURE_TASK)


def pending_import_ids() -> set[int]:
    """Import job ids that have a task waiting or running."""
    if settings.QUEUE == "rq":
        return _rq_pending(IMPORT_TASK, started=True)
    return _db_pending(IMPORT_TASK, (TaskResultStatus.READY, TaskResultStatus.RUNNING))


def _db_pending(task_path: str, statuses: tuple[str, ...] = (TaskResultStatus.READY,)) -> set[int]:
    ready = DBTaskResult.objects.filter(status__in=statuses, task_path=task_path)
    return {
        int(args["args"][0]) for args in ready.values_list("args_kwargs", flat=True) if args["args"]
    }


def _rq_pending(task_path: str, *, started: bool = False) -> set[int]:
    import django_rq
    from rq.job import Job
    from rq.registry import ScheduledJobRegistry, StartedJobRegistry

    found: set[int] = set()
    for name in CAPTURE_QUEUES:
        queue = django_rq.get_queue(name)
        ids = [*queue.get_job_ids(), *ScheduledJobRegistry(queue=queue).get_job_ids()]
        if started:
            ids += StartedJobRegistry(queue=queue).get_job_ids()
        jobs = Job.fetch_many(ids, connection=queue.connection)
        found |= {
            int(job.args[0])
            for job in jobs
            if job is not None and job.args and _rq_task_path(job) == task_path
        }
    return found


def _rq_task_path(job: object) -> str:
    """The django-tasks path of an RQ job (its first argument names the task)."""
    name = getattr(job, "func_name", "") or ""
    if name.endswith("import_bookmarks"):
        return IMPORT_TASK
    return CAPTURE_TASK


def finish_abandoned_tasks(live_worker_ids: set[str]) -> int:
    """Task rows left "running" by a worker that died are marked failed: recovery queues
    their snapshots again with a new task, so running them again would double the work.
    (RQ cleans its own registry of started jobs whose worker is gone.)"""
    if settings.QUEUE == "rq":
        return 0
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, task_path__in=(CAPTURE_TASK, IMPORT_TASK)
    )
    dead = [
        row.pk
        for row in running.only("pk", "worker_ids")
        if not row.worker_ids or row.worker_ids[-1] not in live_worker_ids
    ]
    return running.filter(pk__in=dead).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="linkhome.worker.WorkerDied",
        traceback="the worker running this task stopped; its snapshot was queued again",
    )


class CaptureThreads:
    """The capture threads of one worker process, each claiming tasks on its own.

    A capture mostly waits on the network, so a few at once cost little memory and CPU.
    With more than one, the first serves only the lane of links a person just added:
    slow imports and retries can fill the other threads, never that one."""

    def __init__(self, worker_id: str, *, threads: int, interval: float, batch: bool) -> None:
        self.worker_id = worker_id
        self.interval = interval
        self.batch = batch
        self._runners: list[object] = []  # the queue library's worker objects, to stop them
        self._threads = [
            threading.Thread(
                target=self._serve,
                args=(index, EXPRESS_QUEUES if index == 0 and threads > 1 else None),
                name=f"linkhome-capture-{index}",
                daemon=True,  # a killed worker must not wait for a capture to end
            )
            for index in range(threads)
        ]
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def run(self) -> None:
        for thread in self._threads:
            thread.start()
        for thread in self._threads:
            while thread.is_alive():
                thread.join(timeout=1.0)  # short joins: signals still reach the main thread

    def stop(self) -> None:
        """Claim nothing more; each thread ends after the capture it is on."""
        with self._lock:
            self._stopping.set()
            for runner in self._runners:
                if settings.QUEUE == "rq":
                    runner._stop_requested = True  # type: ignore[attr-defined]
                else:
                    runner.running = False  # type: ignore[attr-defined]

    def _serve(self, index: int, queues: list[str] | None) -> None:
        while not self._stopping.is_set():
            try:
                if settings.QUEUE == "rq":
                    return self._run_rq(index, queues)
                return self._run_db(index, queues)
            except (DatabaseError, RedisConnectionError):
                # The database or Redis went away for a moment: keep the thread, try again.
                log.warning("queue unavailable; retrying in %s s", RETRY_SECONDS, exc_info=True)
                close_old_connections()
                time.sleep(RETRY_SECONDS)
            finally:
                connection.close()  # each thread has its own connection

    def _register(self, runner: object) -> bool:
        with self._lock:
            if self._stopping.is_set():
                return False  # stop() came first: do not start again
            self._runners.append(runner)
            return True

    def _run_db(self, index: int, queues: list[str] | None) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=queues or ["*"],
            interval=self.interval,
            batch=self.batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id[:64],
            excluded_queue_names=[],
        )
        if self._register(worker):
            worker.run()

    def _run_rq(self, index: int, queues: list[str] | None) -> None:
        import django_rq
        from django_tasks_rq.backend import Job

        worker = django_rq.get_worker(
            *(queues or _rq_listen_order()),
            job_class=Job,
            worker_class=_threaded_rq_worker_class(),
            name=f"{self.worker_id}-{index}",
            worker_ttl=RQ_WORKER_TTL,
        )
        if self._register(worker):
            # One scheduler per process moves due delayed jobs (retries) onto their queues;
            # it serves only its own worker's queues, so it runs where all are listened to.
            scheduler = index == len(self._threads) - 1
            worker.work(burst=self.batch, with_scheduler=scheduler, logging_level="WARNING")


def _rq_listen_order() -> list[str]:
    return [*CAPTURE_QUEUES, *(q for q in settings.TASK_QUEUES if q not in CAPTURE_QUEUES)]


def _threaded_rq_worker_class() -> type:
    from rq import SimpleWorker
    from rq.timeouts import TimerDeathPenalty

    class ThreadedRQWorker(SimpleWorker):
        """SimpleWorker runs jobs in this process: the heartbeat and the list of captures in
        progress (capture.pipeline.ACTIVE) must see them; a forked work horse would hide
        them. Signal handlers and SIGALRM timeouts work only in the main thread."""

        death_penalty_class = TimerDeathPenalty

        def _install_signal_handlers(self) -> None:
            pass

    return ThreadedRQWorker


def run_queue(
    worker_id: str, *, interval: float, batch: bool, max_tasks: int | None, threads: int
) -> None:
    """Work the queue until stopped (or, with batch, until it is empty)."""
    if max_tasks is not None:
        threads = 1  # a count of tasks is only exact with one thread taking them
    workers = CaptureThreads(worker_id, threads=threads, interval=interval, batch=batch)
    recycle.arm(workers.stop)
    workers.run()
