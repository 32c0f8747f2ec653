"""`make superuser`: the first administrator account, with the site's password rules and no way around them.

Django's `createsuperuser` offers "Bypass password validation and create user anyway?"; this command does not. It asks
for a username, an optional e-mail address and the password twice, checks the password with every validator in
AUTH_PASSWORD_VALIDATORS (12 characters at least, not common, not all digits, not like the username) and asks again
until one passes. Without a terminal (`--no-input`), the password comes from DJANGO_SUPERUSER_PASSWORD and a weak one
is refused with the validators' messages and exit status 1.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

PASSWORD_VARIABLE = "DJANGO_SUPERUSER_PASSWORD"


class Command(BaseCommand):
    help = "Create a superuser whose password passes every password validator (no bypass)."

    def add_arguments(self, parser):
        parser.add_argument("--username", help="The account's username (asked for when left out).")
        parser.add_argument("--email", default=None, help="An e-mail address (optional).")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Ask nothing: the password comes from {PASSWORD_VARIABLE}.",
        )

    def handle(self, *args, username=None, email=None, interactive=True, **options):
        User = get_user_model()
        if interactive:
            username = username or self._ask("Username: ")
            email = self._ask("Email address (optional): ") if email is None else email
        if not username:
            raise CommandError("A username is needed (--username NAME).")
        username = self._check_username(User, username)
        user = User(username=username, email=email or "")
        password = self._ask_password(user) if interactive else self._given_password(user)
        User.objects.create_superuser(username=username, email=email or "", password=password)
        self.stdout.write(f"Superuser {username!r} created.")

    def _ask(self, prompt: str) -> str:
        try:
            return input(prompt).strip()
        except EOFError as error:
            raise CommandError("No answer; nothing was created.") from error

    def _check_username(self, User, username: str) -> str:
        field = User._meta.get_field(User.USERNAME_FIELD)
        try:
            username = field.clean(username, None)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        if User._default_manager.filter(**{User.USERNAME_FIELD: username}).exists():
            raise CommandError(f"The username {username!r} is already taken; nothing was created.")
        return username

    def _ask_password(self, user) -> str:
        while True:
            try:
                password = getpass.getpass("Password: ")
                again = getpass.getpass("Password (again): ")
            except EOFError as error:
                raise CommandError("No password given; nothing was created.") from error
            if password != again:
                self.stderr.write("The two passwords differ. Try again.")
                continue
            problems = _problems(password, user)
            if not problems:
                return password
            for problem in problems:
                self.stderr.write(problem)
            self.stderr.write("Choose another password (the rules cannot be bypassed).")

    def _given_password(self, user) -> str:
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            raise CommandError(f"Set {PASSWORD_VARIABLE} to the password (--no-input asks nothing).")
        problems = _problems(password, user)
        if problems:
            raise CommandError(" ".join(problems) + " Nothing was created.")
        return password


def _problems(password: str, user) -> list[str]:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return list(error.messages)
    return []
