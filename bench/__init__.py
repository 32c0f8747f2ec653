"""Performance harness: `python -m bench` (make bench) and `bench/audit.sh` (make audit)."""
