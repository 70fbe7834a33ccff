"""``tirek bench [--scale national] [--repeat 30]``: page server times on generated data."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tirek.core.benchmark import bench_cases, bench_measurements, run_case
from tirek.core.demo import VOLUMES, demo_generate


class Command(BaseCommand):
    help = "Generate a volume of fictional data and measure page server times."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(VOLUMES), default="national")
        parser.add_argument("--repeat", type=int, default=30)

    def handle(self, *args, scale: str, repeat: int, **options):
        if not settings.TIREK_DEMO_ALLOWED:
            raise CommandError("Benchmarks generate demo data; refused where the demo is.")
        if repeat < 3:
            raise CommandError("--repeat must be at least 3")
        started = time.perf_counter()
        demo = demo_generate(VOLUMES[scale])
        self.stdout.write(
            f"{connection.vendor}: {VOLUMES[scale].name} volume ready in "
            f"{time.perf_counter() - started:.1f} s"
        )
        self.stdout.write(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for case in bench_cases():
            result = run_case(case, demo, repeat=repeat)
            flag = "" if result.status == 200 else f"  (status {result.status})"
            self.stdout.write(
                f"{result.name:<34} {result.median_ms:>10.1f} {result.p95_ms:>8.1f} "
                f"{result.queries:>8}{flag}"
            )
        for measure in bench_measurements():
            for line in measure(demo, VOLUMES[scale]):
                self.stdout.write(line)
