<#-- Named ports: each ports entry is [port] or [port, nodePort]; numbers may be JSON numbers or strings. -->
<#include "onthiscluster.ftl">
<#if onThisCluster() && ports?has_content>
apiVersion: v1
kind: Service
metadata:
  name: ${instance.name?c}
  labels:
    app.kubernetes.io/name: maiakubegate
    app.kubernetes.io/instance: ${instance.name?c}
spec:
  type: ${service_type?c}
  selector:
    app.kubernetes.io/name: maiakubegate
    app.kubernetes.io/instance: ${instance.name?c}
  ports:
<#list ports?keys?sort as name>
    - name: ${name?c}
      protocol: TCP
      port: ${dmr.int(ports[name][0])?c}
      targetPort: ${dmr.int(ports[name][0])?c}
<#if service_type == "NodePort" && ports[name]?size gt 1>
      nodePort: ${dmr.int(ports[name][1])?c}
</#if>
</#list>
</#if>
