<#import "labels.ftl" as l>
apiVersion: v1
kind: ServiceAccount
metadata:
  name: dm-reconciler
  namespace: ${dr_namespace?c}
  labels:
<@l.labels/>
