"""`manage.py restore FILE` (`make restore FILE=...`): a backup back into the database and MEDIA_ROOT, then
`migrate` (bonehealth/backup.py; docs/backups.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bonehealth import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database (or, with --replace, over the current "
        "content after backing it up), then migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive (bonehealth-....tar.gz).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the content of a database that is not empty (it is backed up into BACKUP_DIR first).",
        )

    def handle(self, *args, file, replace, **options):
        try:
            safety = backup.restore(file, replace=replace, backup_dir=settings.BACKUP_DIR)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if safety:
            self.stdout.write(f"The content before the restore was backed up to {safety}")
        self.stdout.write(f"Restored {file}")
