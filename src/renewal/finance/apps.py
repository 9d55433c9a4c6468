from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "renewal.finance"
    verbose_name = "融资支持"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renewal.accounts.scope import register
        from renewal.registry.models import Enterprise, Project
        from renewal.registry.services import cascade_register

        from .models import Drawdown, FundInvestment, LoanContract, Repayment

        # a project's loans (with their drawdowns and repayments) go to the recycle bin with it
        cascade_register(Project, LoanContract, "project")
        cascade_register(LoanContract, Drawdown, "contract")
        cascade_register(LoanContract, Repayment, "contract")
        cascade_register(Enterprise, FundInvestment, "enterprise")
        # a bank user reads the records of its own bank only (accounts.scope)
        register(
            "finance.loancontract", area="project__area_id", uscc="project__enterprise__uscc", bank="bank"
        )
        for label in ("finance.drawdown", "finance.repayment"):
            register(
                label,
                area="contract__project__area_id",
                uscc="contract__project__enterprise__uscc",
                bank="contract__bank",
            )
        register("finance.batchitem", area="project__area_id", uscc=None, bank="bank")
        register("finance.fundinvestment", area="enterprise__area_id", uscc="enterprise__uscc")
