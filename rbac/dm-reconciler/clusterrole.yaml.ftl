<#import "../../templates/dm-reconciler/labels.ftl" as l>
<#-- What `reconciler run` needs to apply the installed bundles and keep its own state, nothing more:
     no wildcard verbs or resources, no Pods, Nodes or PVCs, no Secrets unless dr_manage_secrets.
     How a pass uses the API (README "Apply"): server-side apply is a PATCH, and a PATCH that creates the
     object is also authorised as create; live state is one label-selected LIST per kind across all
     namespaces (authorised as LIST of every object of the kind: a label selector does not narrow RBAC);
     pruning deletes what left git. Listed here: the kinds the installed bundles render (this one's
     Service included) plus Ingress and Job, which bundles commonly render. A bundle rendering another
     kind needs a rule added here first, applied by a cluster admin (see docs/deploying.md). -->
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: dm-reconciler
  labels:
<@l.labels/>
rules:
  # CRDs of the bundles (jupyternotebooks.squonk.it): list = plan (live state), get = wait until each
  # applied CRD is Established, create/patch = server-side apply. No delete: deleting a CRD deletes every
  # object of it (all users' notebooks); --prune-crds is for a cluster admin running the CLI.
  - apiGroups: [apiextensions.k8s.io]
    resources: [customresourcedefinitions]
    verbs: [get, list, create, patch]
  # Namespaces: list = plan and the Data Manager namespace precondition; get/create = the inventory and
  # Lease namespace exists; create/patch = the bundles' namespaces; delete = state: absent removes the
  # operator namespace (--prune-namespaces otherwise).
  - apiGroups: [""]
    resources: [namespaces]
    verbs: [get, list, create, patch, delete]
  # ServiceAccounts: applied by the bundles (operator accounts); list = plan and the precondition that
  # each Data Manager namespace holds the ServiceAccount data-manager; delete = prune.
  # ConfigMaps: applied per Data Manager namespace (jupyternotebooks.squonk.it) and the inventories.
  # Services: the bundles' Services (this one's). get adds nothing that list does not already show; it
  # serves `diff` and single-object reads.
  - apiGroups: [""]
    resources: [serviceaccounts, configmaps, services]
    verbs: [get, list, create, patch, delete]
  # The bundles' workloads and routes: Deployments (operators, this reconciler), Jobs, Ingresses; the same
  # apply (create, patch), plan (list, get) and prune (delete) verbs.
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [get, list, create, patch, delete]
  - apiGroups: [batch]
    resources: [jobs]
    verbs: [get, list, create, patch, delete]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses]
    verbs: [get, list, create, patch, delete]
  # The bundles' RBAC (operator ClusterRole/Binding, per-namespace Role/RoleBinding); apply, plan, prune.
  # The API server refuses to let anyone write a role granting more than they hold, or bind a role whose
  # permissions they do not hold, unless they have escalate / bind on it (next two rules).
  - apiGroups: [rbac.authorization.k8s.io]
    resources: [clusterroles, clusterrolebindings, roles, rolebindings]
    verbs: [get, list, create, patch, delete]
<#if dr_rbac_clusterroles?has_content>
  # escalate: write these bundles' ClusterRoles, which grant what the reconciler itself must not hold
  # (watch, webhooks, Pods, PVCs, the CRs...). bind: apply their ClusterRoleBindings. Only these names
  # (server-side apply names the object, so resourceNames applies to creation too); never cluster-admin.
  - apiGroups: [rbac.authorization.k8s.io]
    resources: [clusterroles]
    verbs: [escalate, bind]
    resourceNames:
<#list dr_rbac_clusterroles as name>
      - ${name?c}
</#list>
</#if>
<#if dr_rbac_roles?has_content>
  # The same for the bundles' Roles in the Data Manager namespaces (notebook access for the Data Manager).
  - apiGroups: [rbac.authorization.k8s.io]
    resources: [roles]
    verbs: [escalate, bind]
    resourceNames:
<#list dr_rbac_roles as name>
      - ${name?c}
</#list>
</#if>
  # Events (core/v1) on the objects a pass created, configured, pruned or failed on, in their namespace
  # ("default" for cluster-scoped objects). Each is a new Event (create); none is ever updated.
  - apiGroups: [""]
    resources: [events]
    verbs: [create]
<#if dr_manage_secrets>
  # Secrets rendered by bundles (dr_manage_secrets: yes). Trade-off: LIST across namespaces means the
  # reconciler can read every Secret of the cluster.
  - apiGroups: [""]
    resources: [secrets]
    verbs: [get, list, create, patch, delete]
</#if>
