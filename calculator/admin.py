from django.contrib import admin  # noqa: F401

# Product catalogue admin lives in its own module so the reference-data and catalogue admins stay readable.
from calculator import admin_products  # noqa: E402, F401
