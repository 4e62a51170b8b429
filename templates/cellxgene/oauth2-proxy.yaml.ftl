<#-- oauth2-proxy answers nginx's auth_request for every instance. Its client secret and cookie secret come
     from a Secret through secretKeyRef: never as arguments (they would show in the Pod spec and in ps). -->
apiVersion: apps/v1
kind: Deployment
metadata:
  name: oauth2-proxy
  namespace: ${cxg_namespace?c}
  labels:
    app.kubernetes.io/name: cellxgene
    app.kubernetes.io/component: oauth2-proxy
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: cellxgene
      app.kubernetes.io/component: oauth2-proxy
  template:
    metadata:
      labels:
        app.kubernetes.io/name: cellxgene
        app.kubernetes.io/component: oauth2-proxy
    spec:
      containers:
        - name: oauth2-proxy
          image: ${(cxg_oauth2_proxy_image + ":" + cxg_oauth2_proxy_image_tag)?c}
          args:
            - ${("--provider=" + cxg_oauth2_proxy_provider)?c}
            - ${("--oidc-issuer-url=" + cxg_oauth2_proxy_oidc_issuer_url)?c}
            - ${("--email-domain=" + cxg_oauth2_proxy_email_domain)?c}
            - --http-address=0.0.0.0:4180
            - --reverse-proxy=true
            - --upstream=static://202
            - ${("--redirect-url=https://" + cxg_host + "/oauth2/callback")?c}
            - --cookie-secure=true
          env:
            - name: OAUTH2_PROXY_CLIENT_ID
              value: ${cxg_oauth2_proxy_client_id?c}
            - name: OAUTH2_PROXY_CLIENT_SECRET
              valueFrom:
                secretKeyRef:
                  name: ${cxg_oauth2_proxy_secret?c}
                  key: client-secret
            - name: OAUTH2_PROXY_COOKIE_SECRET
              valueFrom:
                secretKeyRef:
                  name: ${cxg_oauth2_proxy_secret?c}
                  key: cookie-secret
          ports:
            - name: http
              containerPort: 4180
              protocol: TCP
          resources:
            requests:
              cpu: 10m
              memory: 64Mi
            limits:
              cpu: 200m
              memory: 128Mi
---
apiVersion: v1
kind: Service
metadata:
  name: oauth2-proxy
  namespace: ${cxg_namespace?c}
  labels:
    app.kubernetes.io/name: cellxgene
    app.kubernetes.io/component: oauth2-proxy
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: cellxgene
    app.kubernetes.io/component: oauth2-proxy
  ports:
    - name: http
      protocol: TCP
      port: 4180
      targetPort: http
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: oauth2-proxy
  namespace: ${cxg_namespace?c}
  labels:
    app.kubernetes.io/name: cellxgene
    app.kubernetes.io/component: oauth2-proxy
  annotations:
    cert-manager.io/cluster-issuer: ${cxg_ingress_cluster_issuer?c}
spec:
  ingressClassName: ${cxg_ingress_class?c}
  tls:
    - hosts:
        - ${cxg_host?c}
      secretName: ${cxg_ingress_tls_secret?c}
  rules:
    - host: ${cxg_host?c}
      http:
        paths:
          - path: /oauth2
            pathType: Prefix
            backend:
              service:
                name: oauth2-proxy
                port:
                  name: http
