"""Writers appending at the same time never fork the chain."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from tirek.audit.log import audit
from tirek.audit.models import AuditEvent
from tirek.audit.verify import verify_trail

WRITERS = 4
EACH = 25


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's test database is in memory and shared; its writers queue on one lock",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_one_unbroken_chain():
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            start.wait()
            for number in range(EACH):
                with transaction.atomic():
                    audit(
                        actor=None,
                        action="person.view",
                        target_type="people.person",
                        target_id=f"{writer}-{number}",
                    )
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, WRITERS * EACH + 1))
    assert verify_trail().ok
