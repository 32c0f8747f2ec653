from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search articles",
        max_length=200,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}),
        error_messages={"max_length": "Please use a shorter search, at most %(limit_value)d characters."},
    )
