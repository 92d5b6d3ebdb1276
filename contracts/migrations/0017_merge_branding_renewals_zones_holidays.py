from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0015_contract_notice_period_and_renewal_term'),
        ('contracts', '0015_organisation_branding'),
        ('contracts', '0015_user_display_time_zone'),
        ('contracts', '0016_extra_holidays_with_names'),
    ]

    operations = [
    ]
