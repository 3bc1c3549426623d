from django_tasks import task


@task()
def run_job(job_id: str) -> None:
    from himaya.core import jobs

    jobs.execute(job_id)
