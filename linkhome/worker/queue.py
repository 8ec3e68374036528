"""What only the worker knows: the task queue, on the database or on Redis (RQ)."""

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

CAPTURE_TASK = "linkhome.worker.tasks.capture_snapshot"
CAPTURE_QUEUE = "capture"


def pending_capture_ids() -> set[int]:
    """Snapshot ids that already have a task waiting, so recovery does not double-queue."""
    return _rq_pending() if settings.QUEUE == "rq" else _db_pending()


def _db_pending() -> set[int]:
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=CAPTURE_TASK)
    return {
        int(args["args"][0]) for args in ready.values_list("args_kwargs", flat=True) if args["args"]
    }


def _rq_pending() -> set[int]:
    import django_rq
    from rq.job import Job
    from rq.registry import ScheduledJobRegistry

    queue = django_rq.get_queue(CAPTURE_QUEUE)
    ids = [*queue.get_job_ids(), *ScheduledJobRegistry(queue=queue).get_job_ids()]
    jobs = Job.fetch_many(ids, connection=queue.connection)
    return {int(job.args[0]) for job in jobs if job is not None and job.args}


def finish_abandoned_tasks(live_worker_ids: set[str]) -> int:
    """Task rows left "running" by a worker that died are marked failed: recovery queues
    their snapshots again with a new task, so running them again would double the work.
    (RQ cleans its own registry of started jobs whose worker is gone.)"""
    if settings.QUEUE == "rq":
        return 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, task_path=CAPTURE_TASK)
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


def run_queue(worker_id: str, *, interval: float, batch: bool, max_tasks: int | None) -> None:
    """Work the queue until stopped (or, with batch, until it is empty)."""
    if settings.QUEUE == "rq":
        _run_rq(worker_id, batch, max_tasks)
    else:
        _run_db(worker_id, interval, batch, max_tasks)


def _run_db(worker_id: str, interval: float, batch: bool, max_tasks: int | None) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id[:64],
        excluded_queue_names=[],
    ).run()


def _run_rq(worker_id: str, batch: bool, max_tasks: int | None) -> None:
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    # SimpleWorker runs jobs in this process: the heartbeat and the list of captures in
    # progress (capture.pipeline.ACTIVE) must see them; a forked work horse would hide them.
    worker = django_rq.get_worker(
        *settings.TASK_QUEUES, job_class=Job, worker_class=SimpleWorker, name=worker_id
    )
    worker.work(burst=batch, with_scheduler=True, max_jobs=max_tasks, logging_level="WARNING")
