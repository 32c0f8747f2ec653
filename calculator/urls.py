from django.urls import path

from calculator import views

app_name = "calculator"
urlpatterns = [
    path("calculator/", views.index, name="index"),
    path("calculator/edit/", views.edit_answers, name="edit"),
    path("calculator/calendar.ics", views.calendar_file, name="calendar"),
    path("api/intake/", views.api_intake, name="api_intake"),
    path("api/intake/options/", views.api_options, name="api_options"),
    path("api/openapi.json", views.api_openapi, name="api_openapi"),
    # Recommendation panel: outbound links counted, and the affiliate disclosure.
    path("go/<slug:slug>/", views.go, name="go"),
    path("disclosure/", views.disclosure, name="disclosure"),
]
