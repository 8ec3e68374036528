"""What only the worker knows: the rows of the task queue."""

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

CAPTURE_TASK = "linkhome.worker.tasks.capture_snapshot"


def pending_capture_ids() -> set[int]:
    """Snapshot ids that already have a task waiting, so recovery does not double-queue."""
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=CAPTURE_TASK)
    return {
        int(args["args"][0]) for args in ready.values_list("args_kwargs", flat=True) if args["args"]
    }
