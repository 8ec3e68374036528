from django.db import migrations, models
from django.utils import timezone


class Migration(migrations.Migration):
    """An imported link keeps the date it was saved elsewhere: created_at is a default now,
    no longer always overwritten with the time of the insert. No change to the table."""

    dependencies = [
        ("links", "0004_links_may_ask_for_browser_mode"),
    ]

    operations = [
        migrations.AlterField(
            model_name="link",
            name="created_at",
            field=models.DateTimeField(default=timezone.now),
        ),
    ]
