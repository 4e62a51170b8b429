<#-- Recreate: two operators would both act on the same instances. -->
apiVersion: apps/v1
kind: Deployment
metadata:
  name: sui-operator
  namespace: ${cxg_namespace?c}
  labels:
    app.kubernetes.io/name: cellxgene
    app.kubernetes.io/component: sui-operator
    application: sui-operator
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels:
      application: sui-operator
  template:
    metadata:
      labels:
        application: sui-operator
    spec:
      serviceAccountName: sui-operator
      securityContext:
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
      containers:
        - name: sui-operator
          image: ${(cxg_operator_image + ":" + cxg_operator_image_tag)?c}
          imagePullPolicy: ${(cxg_operator_image_tag == "latest")?then("Always", "IfNotPresent")}
          env:
            - name: K8_SUI_OP_TICK
              value: ${cxg_operator_tick?c}
            - name: K8_SUI_OP_TO_UNVIS
              value: ${cxg_operator_to_unvis?c}
          envFrom:
            - secretRef:
                name: ${cxg_aws_secret?c}
          resources:
            limits:
              memory: 256Mi
              cpu: 500m
