import os

from django.core.asgi import get_asgi_application

from tirek.lib.private_files import restrict_new_files

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirek.settings")
restrict_new_files()
application = get_asgi_application()
