import os

from django.core.wsgi import get_wsgi_application

from tirek.lib.private_files import restrict_new_files

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirek.settings")
restrict_new_files()
application = get_wsgi_application()
