import secrets

from django.db import migrations, models


def first_token(apps, schema_editor):
    apps.get_model("contracts", "DataVersion").objects.using(schema_editor.connection.alias).create(
        id=1, token=secrets.token_hex(16)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0018_organisation_default_time_zone"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(first_token, migrations.RunPython.noop),
    ]
