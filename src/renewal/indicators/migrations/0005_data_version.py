from django.db import migrations, models


class Migration(migrations.Migration):
    """The data version per year. Its triggers on the domain tables are (re)installed after every
    migrate, with the roll-up triggers (rollup_triggers.after_migrate, dataversion_sql)."""

    dependencies = [
        ("indicators", "0004_rollups_by_status_stretch"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "year",
                    models.IntegerField(
                        primary_key=True, serialize=False, verbose_name="年度（0 = 无年度的记录）"
                    ),
                ),
                ("version", models.BigIntegerField(default=0, verbose_name="数据版本")),
                ("xact", models.BigIntegerField(blank=True, null=True, verbose_name="最近一次写入的事务")),
            ],
            options={"verbose_name": "数据版本", "verbose_name_plural": "数据版本"},
        ),
    ]
