<#-- The reconciler's own RBAC on this cluster, exactly as `bin/reconciler rbac --cluster <dr_cluster> --for-bundle`
     derives it from what every environment of the cluster renders (README "Least privilege derived from the
     bundles"): a ClusterRole and binding, and a Role and binding in dr_namespace for its inventories, Leases and
     hash-key Secret. The generated file is committed next to this template and included as it is; regenerate it
     (and review the diff) whenever a bundle starts rendering a new kind:
       bin/reconciler rbac --cluster local --for-bundle --out rbac/dm-reconciler/generated/local.yaml
     A missing file fails this environment (nothing applied) rather than leaving the reconciler without rights. -->
<#if !.get_optional_template("generated/" + dr_cluster + ".yaml", {"parse": false}).exists>
<#stop "rbac/dm-reconciler/generated/" + dr_cluster + ".yaml does not exist: generate it with bin/reconciler rbac --cluster " + dr_cluster + " --for-bundle --out rbac/dm-reconciler/generated/" + dr_cluster + ".yaml">
</#if>
<#include "generated/" + dr_cluster + ".yaml" parse=false>
