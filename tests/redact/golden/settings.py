"""Settings for the billing service.

Maintainer: Ingrid Solberg <ingrid.solberg@northwind-billing.com>
"""
import os

DEBUG = False
SECRET_KEY = "v9$Kq2!fake#Lp4@Rw8^Yx1&Nc6*Bd3%Hf5"
ALLOWED_HOSTS = ["billing.northwind-billing.com", "127.0.0.1", "93.184.216.34"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "billing",
        "USER": "billing_app",
        "PASSWORD": "Wx7-fake-Hq2-pass",
        "HOST": "10.20.0.5",
    }
}
CACHE_URL = os.environ.get("CACHE_URL", "redis://:${REDIS_PASSWORD}@localhost:6379/0")
ADMINS = [("Tomasz Wróbel", "tomasz.wrobel@northwind-billing.com")]
EMAIL_HOST_PASSWORD = "changeme"
SUPPORT_EMAIL = "support@example.com"
STATIC_HASH = "9b74c9897bac770ffc029102a200c5de"
