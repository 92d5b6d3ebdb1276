from django.db import migrations


def name_the_dates(apps, schema_editor):
    """Bare ISO dates become ``{"date": …, "name": ""}``: extra holidays now carry a name."""
    Calendar = apps.get_model("contracts", "Calendar")
    changed = []
    for calendar in Calendar.objects.exclude(extra_holidays=[]).only("id", "extra_holidays"):
        converted = [
            item if isinstance(item, dict) else {"date": str(item), "name": ""} for item in calendar.extra_holidays
        ]
        if converted != calendar.extra_holidays:
            calendar.extra_holidays = converted
            changed.append(calendar)
    Calendar.objects.bulk_update(changed, ["extra_holidays"], batch_size=500)


def unname_the_dates(apps, schema_editor):
    """Back to bare dates (the names are dropped)."""
    Calendar = apps.get_model("contracts", "Calendar")
    changed = []
    for calendar in Calendar.objects.exclude(extra_holidays=[]).only("id", "extra_holidays"):
        calendar.extra_holidays = [
            item["date"] if isinstance(item, dict) else item for item in calendar.extra_holidays
        ]
        changed.append(calendar)
    Calendar.objects.bulk_update(changed, ["extra_holidays"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0015_service_level_position"),
    ]

    operations = [migrations.RunPython(name_the_dates, unname_the_dates)]
