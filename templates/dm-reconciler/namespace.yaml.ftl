<#import "labels.ftl" as l>
<#-- The reconciler's namespace: its pods, its inventory ConfigMaps (--inventory-namespace) and its Lease.
     An administrator creates it before the first apply, to put the git Secret into it (docs/deploying.md
     step 3), so it opts in to adoption: taken over, reported adopted, and never deleted (it holds every
     environment's inventory). -->
apiVersion: v1
kind: Namespace
metadata:
  name: ${dr_namespace?c}
  annotations:
    dm-reconciler.dev/adopt: "true"
  labels:
<@l.labels/>
