<#-- "deployment": true runs the application as a Deployment instead (no allocation time limit). Recreate:
     a volume with ReadWriteOnce cannot be mounted by two pods at once. -->
<#import "pod.ftl" as pod>
<#include "onthiscluster.ftl">
<#if onThisCluster() && deployment>
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${instance.name?c}
  labels:
    app.kubernetes.io/name: maiakubegate
    app.kubernetes.io/instance: ${instance.name?c}
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app.kubernetes.io/name: maiakubegate
      app.kubernetes.io/instance: ${instance.name?c}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: maiakubegate
        app.kubernetes.io/instance: ${instance.name?c}
    spec:
<@pod.spec restartPolicy="Always"/>
</#if>
