"""Stored files follow their records: a deleted walking network (also by cascade) takes its files with it."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import WalkingNetwork


@receiver(post_delete, sender=WalkingNetwork, dispatch_uid="gaps.network_files")
def network_files_delete(sender: Any, instance: WalkingNetwork, **kwargs: Any) -> None:
    names = [n for n in (instance.file.name, instance.graph_file.name) if n]

    def remove() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(remove)
