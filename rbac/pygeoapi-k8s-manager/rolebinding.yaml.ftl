<#-- The subject's namespace is the instance's target namespace, so moving the instance moves the binding. -->
<#import "/lib/labels.ftl" as l>
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ${instance.name?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: ${instance.name?c}
subjects:
  - kind: ServiceAccount
    name: ${instance.name?c}
    namespace: ${instance.namespace?c}
