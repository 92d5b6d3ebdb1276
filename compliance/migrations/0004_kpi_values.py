import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0003_reports"),
        ("contracts", "0005_signing"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="KpiValue",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "service_level_key",
                    models.CharField(help_text="The key of a custom KPI service level.", max_length=60),
                ),
                (
                    "period",
                    models.CharField(help_text="The month, YYYY-MM, in the contract's time zone.", max_length=7),
                ),
                ("value", models.DecimalField(decimal_places=4, max_digits=14)),
                ("note", models.TextField(blank=True, help_text="Where the value comes from (e.g. the survey).")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "contract",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contracts.contract"
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["contract", "-period", "service_level_key"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("contract", "service_level_key", "period"), name="kpi_value_unique_per_period"
                    )
                ],
            },
        ),
    ]
