<#import "labels.ftl" as l>
apiVersion: v1
kind: ServiceAccount
metadata:
  name: viz-operator
  namespace: ${svo_namespace?c}
  labels:
<@l.labels/>
