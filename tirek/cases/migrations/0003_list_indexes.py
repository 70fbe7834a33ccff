"""Indexes for the national lists: every case newest first (the national
coordinator), and open deadlines by date (overdue views)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_note_search")]

    operations = [
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True)),
                fields=["due_on"],
                name="open_deadlines_by_due",
            ),
        ),
        migrations.AddIndex(
            model_name="legalaidcase",
            index=models.Index(fields=["-opened_at"], name="cases_by_opening"),
        ),
    ]
