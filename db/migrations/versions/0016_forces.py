"""The people who govern (治理力量): persons and roles, organisation members, organisations on
grids, property companies and the compounds they serve, recognitions, meeting kinds, problem
handlers, 专属网格. Each grid's worker (name and phone on the grid) becomes a person with a
网格员 role on that grid.

Revision ID: 0016
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0004"
branch_labels = None
depends_on = None

FORCE_KINDS = (
    "社区工作者",
    "网格员",
    "网格年轻历练干部",
    "楼院长",
    "楼栋长",
    "单元长",
    "党员中心户",
    "五老",
    "志愿者",
    "物业人员",
    "新就业群体",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def upgrade() -> None:
    _create_tables()
    _grid_workers_to_roles()
    with op.batch_alter_table("grid", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("exclusive", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.drop_column("worker_name")
        batch_op.drop_column("worker_phone")
    with op.batch_alter_table("grid", schema=None) as batch_op:
        batch_op.alter_column("exclusive", server_default=None)

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=4), nullable=False, server_default="议事会")
        )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.alter_column("kind", server_default=None)
        batch_op.create_check_constraint(
            batch_op.f("ck_meeting_kind"), "kind IN ('议事会', '见面会', '协商会')"
        )

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grid_id", sa.Integer(), nullable=True))
        batch_op.alter_column("compound_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(batch_op.f("ix_organisation_grid_id"), ["grid_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_organisation_grid_id_grid"),
            "grid",
            ["grid_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_organisation_place"), "(compound_id IS NULL) <> (grid_id IS NULL)"
        )

    with op.batch_alter_table("problem", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handler_person_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("handler_kind", sa.String(length=16), nullable=False, server_default="")
        )
        batch_op.create_index(
            batch_op.f("ix_problem_handler_person_id"), ["handler_person_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_problem_handler_person_id_force_person"),
            "force_person",
            ["handler_person_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("problem", schema=None) as batch_op:
        batch_op.alter_column("handler_kind", server_default=None)


def _grid_workers_to_roles() -> None:
    """One person and one 网格员 role (sub-kind not known: "") per grid with a worker's name.

    The same name with the same phone on several grids is one person with several roles."""
    bind = op.get_bind()
    grid = sa.table(
        "grid",
        sa.column("id", sa.Integer),
        sa.column("worker_name", sa.String),
        sa.column("worker_phone", sa.String),
    )
    person = sa.table(
        "force_person",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("phone", sa.String),
        sa.column("notes", sa.Text),
    )
    role = sa.table(
        "force_role",
        sa.column("person_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("subkind", sa.String),
        sa.column("post", sa.String),
        sa.column("grid_id", sa.Integer),
    )
    rows = bind.execute(
        sa.select(grid.c.id, grid.c.worker_name, grid.c.worker_phone)
        .where(grid.c.worker_name != "")
        .order_by(grid.c.id)
    ).all()
    people: dict[tuple[str, str], int] = {}
    for grid_id, name, phone in rows:
        key = (name.strip(), (phone or "").strip())
        if key not in people:
            people[key] = bind.execute(
                sa.insert(person)
                .values(name=key[0][:32], phone=key[1] or None, notes="")
                .returning(person.c.id)
            ).scalar_one()
        bind.execute(
            sa.insert(role).values(
                person_id=people[key], kind="网格员", subkind="", post="", grid_id=grid_id
            )
        )


def _create_tables() -> None:
    op.create_table(
        "property_company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("contact", sa.String(length=32), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("founded", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('公办', '市场化')", name=op.f("ck_property_company_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_property_company")),
        sa.UniqueConstraint("name", name=op.f("uq_property_company_name")),
    )
    op.create_table(
        "company_compound",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until_on", sa.Date(), nullable=True),
        sa.Column("was_ownerless", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "until_on IS NULL OR until_on >= since", name=op.f("ck_company_compound_dates")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["property_company.id"],
            name=op.f("fk_company_compound_company_id_property_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compound.id"],
            name=op.f("fk_company_compound_compound_id_compound"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_compound")),
        sa.UniqueConstraint(
            "company_id",
            "compound_id",
            "since",
            name=op.f("uq_company_compound_company_id_compound_id_since"),
        ),
    )
    with op.batch_alter_table("company_compound", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_company_compound_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_company_compound_compound_id"), ["compound_id"], unique=False
        )

    op.create_table(
        "force_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_force_person_resident_id_resident"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_force_person")),
    )
    with op.batch_alter_table("force_person", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_force_person_resident_id"), ["resident_id"], unique=False
        )

    op.create_table(
        "force_role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subkind", sa.String(length=8), nullable=False),
        sa.Column("post", sa.String(length=32), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=True),
        sa.Column("compound_id", sa.Integer(), nullable=True),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.CheckConstraint(_in("kind", FORCE_KINDS), name=op.f("ck_force_role_kind")),
        sa.CheckConstraint(
            "end_on IS NULL OR start_on IS NULL OR end_on >= start_on",
            name=op.f("ck_force_role_dates"),
        ),
        sa.CheckConstraint(
            "grid_id IS NOT NULL OR compound_id IS NOT NULL OR building_id IS NOT NULL "
            "OR company_id IS NOT NULL",
            name=op.f("ck_force_role_place"),
        ),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["building.id"],
            name=op.f("fk_force_role_building_id_building"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["property_company.id"],
            name=op.f("fk_force_role_company_id_property_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compound.id"],
            name=op.f("fk_force_role_compound_id_compound"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["grid_id"], ["grid.id"], name=op.f("fk_force_role_grid_id_grid"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["force_person.id"],
            name=op.f("fk_force_role_person_id_force_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_force_role")),
    )
    with op.batch_alter_table("force_role", schema=None) as batch_op:
        for column in ("building_id", "company_id", "compound_id", "grid_id", "person_id"):
            batch_op.create_index(batch_op.f(f"ix_force_role_{column}"), [column], unique=False)
        batch_op.create_index("ix_force_role_kind", ["kind", "subkind"], unique=False)

    op.create_table(
        "organisation_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_member_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["force_person.id"],
            name=op.f("fk_organisation_member_person_id_force_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_member")),
        sa.UniqueConstraint(
            "organisation_id",
            "person_id",
            name=op.f("uq_organisation_member_organisation_id_person_id"),
        ),
    )
    with op.batch_alter_table("organisation_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_member_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_organisation_member_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "recognition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('服务之星', '优秀服务项目')", name=op.f("ck_recognition_kind")
        ),
        sa.CheckConstraint("year BETWEEN 1949 AND 2200", name=op.f("ck_recognition_year")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["force_person.id"],
            name=op.f("fk_recognition_person_id_force_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recognition")),
    )
    with op.batch_alter_table("recognition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recognition_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    """Back to 0004: each grid gets back the first 网格员 of its roles as its worker."""
    with op.batch_alter_table("problem", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_problem_handler_person_id_force_person"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_problem_handler_person_id"))
        batch_op.drop_column("handler_kind")
        batch_op.drop_column("handler_person_id")
    op.execute("DELETE FROM organisation WHERE compound_id IS NULL")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_organisation_place"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_organisation_grid_id_grid"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_organisation_grid_id"))
        batch_op.alter_column("compound_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("grid_id")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_meeting_kind"), type_="check")
        batch_op.drop_column("kind")
    with op.batch_alter_table("grid", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("worker_name", sa.String(length=32), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("worker_phone", sa.String(length=20), nullable=False, server_default="")
        )
        batch_op.drop_column("exclusive")
    op.execute(
        "UPDATE grid SET "
        "worker_name = COALESCE((SELECT p.name FROM force_role r JOIN force_person p "
        "ON p.id = r.person_id WHERE r.grid_id = grid.id AND r.kind = '网格员' "
        "ORDER BY r.id LIMIT 1), ''), "
        "worker_phone = COALESCE((SELECT p.phone FROM force_role r JOIN force_person p "
        "ON p.id = r.person_id WHERE r.grid_id = grid.id AND r.kind = '网格员' "
        "ORDER BY r.id LIMIT 1), '')"
    )
    for table in (
        "recognition",
        "organisation_member",
        "force_role",
        "force_person",
        "company_compound",
        "property_company",
    ):
        op.drop_table(table)
