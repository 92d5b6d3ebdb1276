from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_email_claims'),
        ('notifications', '0002_renewal_reminders'),
    ]

    operations = [
    ]
