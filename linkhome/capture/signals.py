from django.dispatch import Signal

# Sent (after commit) when a snapshot needs capturing; kwargs: snapshot_id, delay (seconds).
# The worker app listens and puts it on the queue, so the domain never imports the queue.
capture_requested = Signal()

# Sent when a capture ends (succeeded, partial or failed for good), with kwargs: snapshot.
# Search listens to index the new text; capture never imports what listens.
snapshot_finished = Signal()
