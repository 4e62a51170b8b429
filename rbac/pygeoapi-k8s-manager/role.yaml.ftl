<#-- What the job manager needs in its namespace: run Jobs, follow their Pods, read logs and events. -->
<#import "/lib/labels.ftl" as l>
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${instance.name?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
rules:
  - apiGroups: [""]
    resources: [events, pods/log, pods/status]
    verbs: [get, watch, list]
  - apiGroups: [""]
    resources: [pods]
    verbs: [get, watch, list, patch]
  - apiGroups: [batch]
    resources: [jobs]
    verbs: ["*"]
