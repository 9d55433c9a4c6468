"""The write load of the backup drill, run in a process of its own: enterprises 负载企业000001,
负载企业000002, … created one per transaction through the registry's service (each with its history
row), the number of each appended to a log file once its transaction has committed, until a stop
file appears or ``--count`` enterprises are written.

    python -m tests.ops.write_load --log FILE --stop FILE [--first N] [--count N]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

NAME = "负载企业{:06d}"


def uscc(n: int) -> str:
    from stdnum.cn import uscc as codes

    head = f"91330402MA{n:07d}"
    return head + codes.calc_check_digit(head)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--stop", type=Path)
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--count", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renewal.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from renewal.registry.services import enterprise_create

    admin = get_user_model().objects.get(username="city-admin")
    with args.log.open("a", encoding="utf-8") as log:
        for n in range(args.first, args.first + args.count):
            if args.stop is not None and args.stop.exists():
                break
            data = {"uscc": uscc(n), "name": NAME.format(n), "area": "330402", "industry_code": "34"}
            enterprise_create(user=admin, data=data)  # atomic: committed when it returns
            log.write(f"{n}\n")
            log.flush()


if __name__ == "__main__":
    main()
