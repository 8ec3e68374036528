from django.dispatch import Signal

# Sent (after commit) when a snapshot needs capturing; kwargs: snapshot_id, delay (seconds).
# The worker app listens and puts it on the queue, so the domain never imports the queue.
capture_requested = Signal()
