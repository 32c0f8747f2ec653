from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed

app_name = "articles"
urlpatterns = [
    path("blog/", views.ArticleListView.as_view(), name="index"),
    path("blog/feed/", LatestArticlesFeed(), name="feed"),
    path("blog/search/", views.SearchView.as_view(), name="search"),
    path("blog/topic/<slug:slug>/", views.TopicArticleListView.as_view(), name="topic"),
    path("blog/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("about/<slug:slug>/", views.PageDetailView.as_view(), name="page"),
    # The recommendation panel's fragment for an article (the panel itself is calculator.panel).
    path("recommendations/panel/", views.recommendation_panel, name="recommendation_panel"),
]
