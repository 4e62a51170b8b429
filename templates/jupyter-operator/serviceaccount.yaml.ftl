<#import "labels.ftl" as l>
apiVersion: v1
kind: ServiceAccount
metadata:
  name: jupyter-operator
  namespace: ${jo_namespace?c}
  labels:
<@l.labels/>
