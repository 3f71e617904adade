"""Create the admin account, or reset its password, in Superset's metadata. Runs in .venv-bi
(`python -m scripts.bi.admin_user`, started by scripts/bi/server.py) with the account in the
environment (BDT_BI_ADMIN_USER, BDT_BI_ADMIN_PASSWORD), never on the command line."""

from __future__ import annotations

import os

ADMIN_ROLE = "Admin"


def main() -> int:
    from superset.app import create_app
    from werkzeug.security import generate_password_hash

    user_name = os.environ["BDT_BI_ADMIN_USER"]
    password = os.environ["BDT_BI_ADMIN_PASSWORD"]
    app = create_app()
    with app.app_context():
        from superset.extensions import security_manager

        user = security_manager.find_user(username=user_name)
        if user is None:
            created = security_manager.add_user(
                user_name,
                "BDT",
                "Admin",
                f"{user_name}@localhost",
                security_manager.find_role(ADMIN_ROLE),
                password=password,
            )
            if not created:
                raise SystemExit(f"could not create the Superset user {user_name}")
        else:
            user.password = generate_password_hash(password)
            security_manager.update_user(user)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
