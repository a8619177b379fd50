"""The one manifest model: typed loading of dbt manifests and one index over them (see mesh.Mesh)."""

from .domains import (
                      CODE_ROOTS,
                      DECOMMISSIONING,
                      DOMAIN_ROOTS,
                      LAYERS,
                      LEGACY,
                      PROJECT_WIDE,
                      Domain,
                      Placement,
                      domain_from_group,
                      domain_from_group_file,
                      domain_from_path,
                      legacy_domain_name,
                      placement,
)
from .load import as_manifest, gc_paused, load_manifest
from .mesh import CONSUMER_KINDS, Mesh, dependents_on
from .schema import Column, Exposure, Group, Manifest, Node

__all__ = ["CODE_ROOTS", "CONSUMER_KINDS", "DECOMMISSIONING", "DOMAIN_ROOTS", "LAYERS", "LEGACY", "PROJECT_WIDE",
           "Column", "Domain", "Exposure", "Group", "Manifest", "Mesh", "Node", "Placement", "as_manifest",
           "dependents_on", "domain_from_group", "domain_from_group_file",
           "domain_from_path", "gc_paused", "legacy_domain_name",
           "load_manifest", "placement"]
