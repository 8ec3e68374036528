from linkhome.bootstrap import setup_django

setup_django()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
