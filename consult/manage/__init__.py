"""The staff pages under /<lang>/manage/: what each staff role may reach."""
