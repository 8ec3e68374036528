from urllib.parse import urlsplit

from django.db import migrations, models


def site_of(url: str) -> str:
    # Frozen copy of linkhome.lib.urls.site_of as it was when this migration was written: a
    # migration must not import live code, or a later change to it could break a fresh install.
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def fill_hosts(apps, schema_editor):
    Link = apps.get_model("links", "Link")
    for link in Link.objects.only("pk", "url").iterator(chunk_size=2000):
        Link.objects.filter(pk=link.pk).update(host=site_of(link.url))


class Migration(migrations.Migration):
    dependencies = [
        ("links", "0001_links_and_tags"),
    ]

    operations = [
        migrations.AddField(
            model_name="link",
            name="host",
            field=models.CharField(blank=True, db_index=True, default="", max_length=255),
        ),
        migrations.RunPython(fill_hosts, migrations.RunPython.noop),
    ]
