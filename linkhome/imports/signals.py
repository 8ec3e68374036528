from django.dispatch import Signal

# Sent (after commit) when an import job needs running; kwargs: job_id. The worker app puts
# it on the queue, so imports never imports the queue.
import_requested = Signal()
