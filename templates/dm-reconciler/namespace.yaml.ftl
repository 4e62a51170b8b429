<#import "labels.ftl" as l>
<#-- The reconciler's namespace: its pods, its inventory ConfigMaps (--inventory-namespace) and its Lease. -->
apiVersion: v1
kind: Namespace
metadata:
  name: ${dr_namespace?c}
  labels:
<@l.labels/>
