<#import "labels.ftl" as l>
apiVersion: v1
kind: Namespace
metadata:
  name: ${jo_namespace?c}
  labels:
<@l.labels/>
