app_name = "calculator"
urlpatterns = []
