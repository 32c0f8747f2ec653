"""Submit an admin form the way a browser would: read the fields of the rendered page, change some, post them back.

The admin's change forms (inlines, split date-times, filter_horizontal selects) are tedious to rebuild by hand in
a test; reading them from the page also proves the page offers what the editor needs.
"""

from html.parser import HTMLParser

from django.urls import reverse

SKIPPED_INPUTS = frozenset({"submit", "button", "image", "file", "reset"})


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.found = False
        self.fields = []  # (name, value) in page order
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.found and self._wanted(attrs.get("id") or ""):
            self.inside = self.found = True
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "chosen": [], "first": None}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)

    def _wanted(self, form_id):
        if self.form_id == "":
            return form_id != "logout-form"  # the first form of the page's content
        if self.form_id is not None:
            return form_id == self.form_id
        return form_id.endswith("_form")  # the admin's change form is "<model>_form"; skip the logout form

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, value = self.textarea
            # HTML drops one newline right after <textarea>; Django's widget writes one there.
            self.fields.append((name, value[1:] if value.startswith("\n") else value))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            select = self.select
            chosen = select["chosen"] or ([] if select["multiple"] or select["first"] is None else [select["first"]])
            self.fields.extend((select["name"], value) for value in chosen)
            self.select = None


def read_form(html, form_id=None):
    """The values a browser would submit from the form with this id (default: the admin's "<model>_form";
    "": the first form of the page's content)."""
    reader = _FormReader(form_id)
    reader.feed(html if isinstance(html, str) else html.decode())
    assert reader.found, f"no form{f' #{form_id}' if form_id else ''} on the page"
    data = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data


def submit(client, url, *, form_id=None, changes=None, follow=False):
    """GET the page at url, fill in changes ({name: value}), POST the form back to the same url."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    data = read_form(page.content, form_id)
    for name, value in (changes or {}).items():
        data[name] = value if isinstance(value, list) else [value]
    return client.post(url, data, follow=follow)


def form_errors(response):
    """Everything a re-shown admin form complains about, for an assertion message."""
    context = response.context
    if not context or "adminform" not in context:
        return f"HTTP {response.status_code}"
    errors = [context["adminform"].form.errors]
    for inline in context.get("inline_admin_formsets", []):
        errors.append(inline.formset.non_form_errors())
        errors.extend(form.errors for form in inline.formset.forms if form.errors)
    return errors


EDITOR_PASSWORD = "a-long-editor-password"


def sign_in(client, username, password=EDITOR_PASSWORD, address="203.0.113.7", code=None, **headers):
    """Post the admin's sign-in form from `address`, with the authenticator code when given."""
    data = {"username": username, "password": password, "next": reverse("admin:index")}
    if code is not None:
        data["otp_token"] = code
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=address, headers=headers)
