<#import "labels.ftl" as l>
apiVersion: v1
kind: Namespace
metadata:
  name: ${svo_namespace?c}
  labels:
<@l.labels/>
