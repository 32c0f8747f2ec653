"""`manage.py backup` (`make backup`): one archive of the database and the uploads into BACKUP_DIR, keeping the
newest BACKUP_KEEP (bonehealth/backup.py; docs/backups.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bonehealth import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive in BACKUP_DIR; keep the newest BACKUP_KEEP."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Folder for the archive (default: BACKUP_DIR).")
        parser.add_argument("--keep", type=int, help="How many archives to keep (default: BACKUP_KEEP).")

    def handle(self, *args, dir=None, keep=None, **options):
        keep = settings.BACKUP_KEEP if keep is None else keep
        if keep < 1:
            raise CommandError("--keep (BACKUP_KEEP) must be 1 or more.")
        try:
            path = backup.create(dir or settings.BACKUP_DIR, keep=keep)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written: {path}")
