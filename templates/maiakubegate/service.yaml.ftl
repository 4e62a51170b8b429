<#-- Named ports: each ports entry is [port] or [port, nodePort]; numbers may be JSON numbers or strings. -->
<#import "/lib/labels.ftl" as l>
<#include "onthiscluster.ftl">
<#if onThisCluster() && ports?has_content>
apiVersion: v1
kind: Service
metadata:
  name: ${instance.name?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
spec:
  type: ${service_type?c}
  selector:
    <@l.selector app=app.name instance=instance.name indent=4/>
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
