from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contracts and parties"

    def ready(self) -> None:
        from django.core.signals import setting_changed
        from django.db.backends.signals import connection_created

        from contracts.caching import data_version, pages

        connection_created.connect(data_version.watch_connection)
        setting_changed.connect(pages.settings_changed)
